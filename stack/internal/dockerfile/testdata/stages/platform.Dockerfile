ARG BASE=local/busybox
FROM --platform=$BUILDPLATFORM ${BASE} AS cross
FROM --platform=linux/amd64 local/busybox
