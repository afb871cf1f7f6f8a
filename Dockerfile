FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY monitor ./monitor
RUN pip install --no-cache-dir .
RUN useradd --create-home monitor && mkdir -p /app/storage && chown monitor /app/storage
USER monitor
ENTRYPOINT ["monitor"]
CMD ["run", "--config", "/config"]
