# Stand-in for the official odoo:19 image, built where no registry is reachable: Odoo 19's source
# (copied into the build context by the stack test, never into the repository) on Debian bookworm
# with Odoo's Python dependencies from Debian, behind the official image's interface — /entrypoint.sh
# reading HOST / PORT / USER / PASSWORD, ODOO_RC=/etc/odoo/odoo.conf, the volumes /var/lib/odoo and
# /mnt/extra-addons, the odoo user, `odoo` on PATH, curl for healthchecks.
FROM debian:bookworm-slim
COPY odoo-debian-packages.txt /tmp/
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      $(grep -v '^#' /tmp/odoo-debian-packages.txt) python3 curl ca-certificates postgresql-client \
 && rm -rf /var/lib/apt/lists/* /tmp/odoo-debian-packages.txt \
 && useradd --system --user-group --home-dir /var/lib/odoo --shell /bin/bash odoo \
 && mkdir -p /etc/odoo /var/lib/odoo /mnt/extra-addons \
 && chown odoo /etc/odoo /var/lib/odoo /mnt/extra-addons
# The Debian package's layout: every addon under odoo/addons, `odoo` on PATH.
COPY odoo-src/ /usr/lib/python3/dist-packages/
COPY odoo.conf /etc/odoo/odoo.conf
COPY odoo-entrypoint.sh /entrypoint.sh
COPY wait-for-psql.py /usr/local/bin/wait-for-psql.py
RUN printf '#!/usr/bin/python3\nimport odoo.cli\nodoo.cli.main()\n' > /usr/bin/odoo \
 && chmod 755 /usr/bin/odoo /entrypoint.sh /usr/local/bin/wait-for-psql.py \
 && chown odoo /etc/odoo/odoo.conf \
 && odoo --version
VOLUME ["/var/lib/odoo", "/mnt/extra-addons"]
EXPOSE 8069 8071 8072
ENV ODOO_RC=/etc/odoo/odoo.conf
USER odoo
ENTRYPOINT ["/entrypoint.sh"]
CMD ["odoo"]
