-- Runs once, when the database volume is empty (docker-entrypoint-initdb.d).
CREATE TABLE IF NOT EXISTS items (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL
);
INSERT INTO items (name) VALUES ('first item'), ('second item');
