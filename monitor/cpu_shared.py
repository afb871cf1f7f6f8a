"""Preloaded by the clean pool's fork server (see `monitor.runtime.make_pool`); imported nowhere else.

Importing it warms `monitor.cpu` in the fork server itself: trafilatura, the
language model (py3langid, some 75 MB), the extractor's tables and datasketch
are loaded once there, before any pool process is forked from it. The pool
processes then share those pages copy-on-write instead of loading a copy each,
which is most of their memory. A pool process still runs `monitor.cpu.warm` as
its initializer, which costs nothing when this preload worked and loads
everything itself when it did not.
"""

from monitor import cpu

cpu.warm()
