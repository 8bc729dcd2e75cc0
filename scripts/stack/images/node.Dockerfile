# Stand-in for the official node:22-bookworm-slim, built where no registry is reachable:
# the Debian bookworm root filesystem (imported as debian:bookworm-slim), the Node 22 binary,
# npm and corepack in /usr/local as the official image has them, the `node` user (uid 1000). It
# trusts this host's certificate authorities too, as builds reach the npm registry through whatever
# this host's network puts in between.
FROM debian:bookworm-slim
COPY host-ca-certificates.crt /etc/ssl/certs/host-ca-certificates.crt
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca-certificates.crt
COPY node /usr/local/bin/node
COPY lib/ /usr/local/lib/node_modules/
COPY node-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && corepack --version
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
