# Nabij: one server process per container (scale out with more replicas; see
# docs/operations.md). Two stages: node builds the widget, the runtime image has no node.

FROM node:20-slim AS widget
WORKDIR /src/widget
COPY widget/package.json widget/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY widget/build.mjs ./
COPY widget/src ./src
RUN npm run build

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY nabij ./nabij
COPY chatserver ./chatserver
COPY staffing ./staffing
COPY registration ./registration
COPY widget/__init__.py ./widget/
COPY widget/demo ./widget/demo
COPY --from=widget /src/widget/dist ./widget/dist
RUN pip install -c constraints.txt . \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin nabij
USER nabij
# Listen on every interface inside the container; nginx is the only way in.
ENV NABIJ_HOST=0.0.0.0 NABIJ_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2)" || exit 1
# exec form: the server is PID 1's only child and gets SIGTERM itself (graceful drain).
STOPSIGNAL SIGTERM
CMD ["nabij", "serve"]
