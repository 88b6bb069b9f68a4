#!/bin/sh
# Run inside the app container after pulling new code: applies the SQL
# migrations in /var/www/html/migrations (if any) to the database.
set -eu
dir=/var/www/html/migrations
[ -d "$dir" ] || { echo "no migrations"; exit 0; }
for f in "$dir"/*.sql; do
	[ -e "$f" ] || continue
	echo "applying $f"
	php -r '
		$db = new PDO("mysql:host=".getenv("DB_HOST").";dbname=".getenv("DB_NAME"), getenv("DB_USER"), getenv("DB_PASSWORD"));
		$db->exec(file_get_contents($argv[1]));
	' "$f"
done
