FROM local/busybox
RUN true
FROM local/busybox:latest
COPY --from=0 /bin/sh /sh
