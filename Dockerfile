# The registry's API and CLI (no Java: in a deployment Neo4j runs in its own container).
FROM python:3.11-slim
# UV_COMPILE_BYTECODE: the image's modules are compiled once at build; with
# PYTHONDONTWRITEBYTECODE no process would write them, and each would compile all it imports.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH \
    AUTHREG_SAMPLE_DIR=/app/data/sample
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY authreg ./authreg
COPY schema ./schema
COPY loaders ./loaders
COPY queries ./queries
COPY graphql_api ./graphql_api
COPY desk ./desk
COPY synthetic ./synthetic
COPY data ./data
RUN uv sync --frozen --no-dev --no-editable
# GraphiQL's browser files from registry.npmjs.org (sha512-pinned), so the API never needs a CDN
RUN python -m graphql_api.graphiql fetch
# … and the desk's ECharts, the same way (desk/desk_assets.toml)
RUN python -m desk.assets fetch
RUN useradd --system --home-dir /app authreg
USER authreg
EXPOSE 8000
CMD ["authreg", "serve", "--host", "0.0.0.0", "--port", "8000"]
