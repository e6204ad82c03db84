# The embedded cloud as a container image: every service on port 4566, functions run inside the
# container as processes (no Docker socket needed).
#
#   docker build -t lambda-testbed .
#   docker run -d -p 127.0.0.1:4566:4566 lambda-testbed
#   npx testbed run --target http://127.0.0.1:4566
#
# Settings (environment variables): TESTBED_TIME real | compressed, TESTBED_PORT (4566),
# TESTBED_HOST (0.0.0.0 here), TESTBED_DATA_DIR (default: a temporary folder under /tmp).
# Machines that cannot pull base images build the same image with `npm run image:local`
# (scripts/image-local.js), which reuses the settings block at the end of this file.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: every dependency, compile src/, stage /app (scripts/image-stage.js) ----
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/image-stage.js ./scripts/
RUN node scripts/image-stage.js /stage/app

# ---- run: the slim Node base, dist/ and the production dependencies only ----
FROM ${NODE_IMAGE}
COPY --from=build /stage/app /app
# image settings begin (scripts/image-local.js copies the lines from here to "image settings end")
ENV NODE_ENV=production \
    TESTBED_HOST=0.0.0.0 \
    TESTBED_PORT=4566 \
    TESTBED_TIME=real
WORKDIR /app
# The node user (uid 1000); numeric so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE 4566
# Healthy once every service reports "running" (while the cloud starts, /_localstack/health already
# answers, with no service running yet). Node's fetch: the image has no curl.
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.TESTBED_PORT||4566)+'/_localstack/health').then(r=>r.json()).then(j=>{const s=Object.values(j.services||{});process.exit(s.length>0&&s.every(v=>v==='running')?0:1)},()=>process.exit(1))"]
# Node as PID 1: `serve` handles SIGTERM and SIGINT itself (stops every function process, then exits).
CMD ["node", "dist/cli/index.js", "serve"]
# image settings end
