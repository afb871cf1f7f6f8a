import sys

from monitor.demo import main

sys.exit(main())
