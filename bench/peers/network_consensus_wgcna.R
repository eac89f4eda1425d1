# Helper of network_consensus_vs_wgcna.sh: WGCNA's consensus steps on two sets, timed inside R.
#   Rscript network_consensus_wgcna.R simulate OUT_PREFIX [genes=5000] [samples1=200] [samples2=150]
#   Rscript network_consensus_wgcna.R run SET1.tsv SET2.tsv LABELS_OUT.tsv [threads=2]
args <- commandArgs(trailingOnly = TRUE)
if (args[1] == "simulate") {
  set.seed(2)
  g <- if (length(args) >= 3) as.integer(args[3]) else 5000
  ns <- c(if (length(args) >= 4) as.integer(args[4]) else 200, if (length(args) >= 5) as.integer(args[5]) else 150)
  sizes <- round(c(600, 500, 400, 300, 250, 200, 150, 100) * g / 5000)   # modules shared by both sets; the rest background
  ids <- sprintf("G%05d", 1:g)
  truth <- integer(g)
  for (s in 1:2) {
    n <- ns[s]; X <- matrix(rnorm(g * n), g, n); start <- 1
    for (m in seq_along(sizes)) {
      e <- rnorm(n); idx <- start:(start + sizes[m] - 1)
      load <- runif(length(idx), 0.4, 0.9) * ifelse(runif(length(idx)) < 0.2, -1, 1)
      X[idx, ] <- load * matrix(e, length(idx), n, byrow = TRUE) + sqrt(1 - load^2) * X[idx, ]
      truth[idx] <- m; start <- start + sizes[m]
    }
    df <- data.frame(gene_id = ids, format(X * 2 + 8, digits = 6, trim = TRUE), check.names = FALSE)
    colnames(df)[-1] <- sprintf("S%d_%04d", s, 1:n)
    write.table(df, paste0(args[2], "-set", s, ".tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
  }
  write.table(data.frame(gene_id = ids, module = truth), paste0(args[2], "-truth.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
  quit(save = "no")
}
suppressMessages(library(WGCNA))
threads <- if (length(args) >= 5) as.integer(args[5]) else 2
allowWGCNAThreads(threads)
multiExpr <- lapply(args[2:3], function(f) list(data = t(as.matrix(read.delim(f, row.names = 1, check.names = FALSE)))))
t <- c(); t0 <- proc.time()[["elapsed"]]; mark <- function(step) { now <- proc.time()[["elapsed"]]; t[[step]] <<- now - t0; t0 <<- now }
ct <- consensusTOM(multiExpr, checkMissingData = FALSE, maxBlockSize = 100000, power = 6, networkType = "unsigned", TOMType = "unsigned",
    networkCalibration = "single quantile", calibrationQuantile = 0.95, sampleForCalibration = FALSE, consensusQuantile = 0,
    saveIndividualTOMs = FALSE, saveConsensusTOMs = FALSE, returnTOMs = TRUE, useDiskCache = FALSE, nThreads = threads, verbose = 0)
diss <- 1 - as.matrix(ct$consensusTOM[[1]]); diag(diss) <- 0; rm(ct); mark("consensusTOM")
tree <- hclust(as.dist(diss), method = "average"); mark("hclust")
labels <- cutreeDynamic(tree, distM = diss, deepSplit = 2, minClusterSize = 20, pamStage = TRUE, pamRespectsDendro = TRUE, verbose = 0); mark("cutreeDynamic")
merged <- mergeCloseModules(multiExpr, labels, cutHeight = 0.15, consensusQuantile = 0, verbose = 0); mark("mergeCloseModules")
mes <- multiSetMEs(multiExpr, universalColors = merged$colors); mark("multiSetMEs")
write.table(data.frame(gene_id = colnames(multiExpr[[1]]$data), module = merged$colors), args[4], sep = "\t", quote = FALSE, row.names = FALSE)
for (s in names(t)) cat(sprintf("  %-18s %8.2f s\n", s, t[[s]]))
cat(sprintf("wgcna consensus %.2f s (%d threads)\n", sum(unlist(t)), threads))
