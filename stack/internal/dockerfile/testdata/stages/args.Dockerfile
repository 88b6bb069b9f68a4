ARG REGISTRY=example.invalid
ARG TAG
ARG VARIANT=slim
ARG FULL=${REGISTRY}/base:${VARIANT}
FROM ${REGISTRY}/golang:${TAG:-1.26} AS build
ARG INSIDE=ignored
FROM $FULL AS run
FROM ${INSIDE:-busybox}
