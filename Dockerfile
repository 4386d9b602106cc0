# One image for the api, the worker and the one-shot setup; docker-compose picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN cd web && node ../node_modules/vite/bin/vite.js build
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/server.ts"]
