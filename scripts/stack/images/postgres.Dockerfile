# Stand-in for the official postgres image, built where no registry is reachable: Debian
# bookworm's PostgreSQL 15 behind the official image's interface — the docker-entrypoint.sh that
# honours POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB and runs /docker-entrypoint-initdb.d on
# an empty data directory, PGDATA=/var/lib/postgresql/data as a volume, the postgres user (uid 999).
FROM debian:bookworm-slim
RUN groupadd --system --gid 999 postgres \
 && useradd --system --gid postgres --uid 999 --home-dir /var/lib/postgresql --shell /bin/bash postgres \
 && mkdir -p /etc/postgresql-common \
 && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /docker-entrypoint-initdb.d /var/run/postgresql /var/lib/postgresql/data \
 && chown postgres:postgres /var/run/postgresql /var/lib/postgresql /var/lib/postgresql/data \
 && chmod 3777 /var/run/postgresql && chmod 700 /var/lib/postgresql/data
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
