FROM local/busybox AS base
RUN echo base > /base

FROM base AS builder
RUN echo built > /artifact

FROM base AS debug
COPY --from=builder /artifact /artifact

FROM local/busybox AS prod
COPY --from=builder /artifact /artifact
