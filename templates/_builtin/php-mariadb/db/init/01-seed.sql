-- Runs once, when the database volume is empty (docker-entrypoint-initdb.d).
CREATE TABLE IF NOT EXISTS notes (
  id INT AUTO_INCREMENT PRIMARY KEY,
  body VARCHAR(200) NOT NULL
);
INSERT INTO notes (body) VALUES
  ('hello from the seed file'),
  ('edit app/src/index.php and reload: the code is bind-mounted');
