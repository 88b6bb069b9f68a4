<?php
// Lists the notes seeded by db/init/01-seed.sql.
$dsn = sprintf('mysql:host=%s;dbname=%s;charset=utf8mb4', getenv('DB_HOST'), getenv('DB_NAME'));
try {
    $db = new PDO($dsn, getenv('DB_USER'), getenv('DB_PASSWORD'));
    $notes = $db->query('SELECT id, body FROM notes ORDER BY id')->fetchAll(PDO::FETCH_ASSOC);
} catch (PDOException $e) {
    http_response_code(503);
    echo 'database not reachable: ' . htmlspecialchars($e->getMessage());
    exit;
}
?>
<!doctype html>
<title>devstack php-mariadb</title>
<h1>Notes</h1>
<ul>
<?php foreach ($notes as $n): ?>
  <li><?= (int) $n['id'] ?>: <?= htmlspecialchars($n['body']) ?></li>
<?php endforeach ?>
</ul>
