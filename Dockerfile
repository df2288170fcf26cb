# syntax=docker/dockerfile:1
# The current Node LTS (24); package.json engines stay >=20.18.1 for people running from source.
# Run with an init process (docker run --init; compose sets init: true) so signals reach the bot.
# Build stage: bundle the TypeScript (scripts/build.mjs, esbuild) with dev dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies only, non-root.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY manifest.yml ./
USER node
EXPOSE 3000
# /healthz answers in both modes, on PORT, or on SCIMWATCH_ADMIN_PORT when that is set.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.SCIMWATCH_ADMIN_PORT||process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "dist/cli.js", "start"]
