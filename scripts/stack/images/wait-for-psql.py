#!/usr/bin/python3
"""Waits until Postgres accepts a connection with the given settings (as the official image's)."""
import argparse
import sys
import time

import psycopg2

if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--db_host', required=True)
    parser.add_argument('--db_port', required=True)
    parser.add_argument('--db_user', required=True)
    parser.add_argument('--db_password', required=True)
    parser.add_argument('--timeout', type=int, default=5)
    args = parser.parse_args()
    start = time.time()
    error = ''
    while time.time() - start < args.timeout:
        try:
            psycopg2.connect(user=args.db_user, host=args.db_host, port=args.db_port,
                             password=args.db_password, dbname='postgres').close()
            sys.exit(0)
        except psycopg2.OperationalError as e:
            error = e
            time.sleep(1)
    print("Database connection failure: %s" % error, file=sys.stderr)
    sys.exit(1)
