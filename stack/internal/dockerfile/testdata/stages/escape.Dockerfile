# escape=`
FROM local/busybox `
  AS win
RUN echo C:\path\
FROM local/busybox AS second
