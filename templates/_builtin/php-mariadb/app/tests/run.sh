#!/bin/sh
# Syntax-checks every PHP file of the app.
set -eu
status=0
for f in $(find /var/www/html -name '*.php'); do
	php -l "$f" >/dev/null || status=1
done
exit $status
