# Multi-stage build: compile TypeScript with tsc, then run the compiled venue as a non-root user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
# The admin server listens on 127.0.0.1 by default; inside a container it must listen on the container's interface
# to be reachable through -p 8080:8080.
ENV ADMIN_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config ./config
COPY fix-dictionaries ./fix-dictionaries
RUN mkdir -p sessions var reports && chown -R node:node sessions var reports
USER node
# FIX acceptor, admin/metrics HTTP
EXPOSE 9876 8080
CMD ["node", "dist/main.js", "--config", "config/venue.json"]
