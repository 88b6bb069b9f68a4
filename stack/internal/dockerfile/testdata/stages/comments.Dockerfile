# syntax=docker/dockerfile:1
# check=skip=all

# FROM commented/out AS nope
   # FROM indented/comment AS nope2
FROM local/busybox AS real
RUN <<EOF
FROM not/a/stage AS heredoc
EOF
COPY <<-EOT /greeting
	FROM also/not AS heredoc2
	EOT
FROM local/busybox AS after
