FROM \
    local/busybox \
    AS first
RUN echo one \
# a comment inside the instruction
    && echo two

FROM local/busybox \

  AS second
