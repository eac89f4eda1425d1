# Helper of network_vs_wgcna.sh.
#   Rscript network_wgcna.R simulate OUT.tsv [samples=500] [genes=5000]
#   Rscript network_wgcna.R run IN.tsv LABELS_OUT.tsv [threads=2]
args <- commandArgs(trailingOnly = TRUE)
if (args[1] == "simulate") {
  set.seed(1)
  n <- if (length(args) >= 3) as.integer(args[3]) else 500
  g <- if (length(args) >= 4) as.integer(args[4]) else 5000
  sizes <- round(c(600, 500, 400, 300, 250, 200, 150, 100) * g / 5000)   # planted modules (half the genes); the rest background
  X <- matrix(rnorm(g * n), g, n)
  truth <- integer(g); start <- 1
  for (m in seq_along(sizes)) {
    e <- rnorm(n); idx <- start:(start + sizes[m] - 1)
    load <- runif(length(idx), 0.4, 0.9) * ifelse(runif(length(idx)) < 0.2, -1, 1)
    X[idx, ] <- load * matrix(e, length(idx), n, byrow = TRUE) + sqrt(1 - load^2) * X[idx, ]
    truth[idx] <- m; start <- start + sizes[m]
  }
  X <- X * 2 + 8
  ids <- sprintf("G%05d", 1:g)
  df <- data.frame(gene_id = ids, format(X, digits = 6, trim = TRUE), check.names = FALSE)
  colnames(df)[-1] <- sprintf("S%04d", 1:n)
  write.table(df, args[2], sep = "\t", quote = FALSE, row.names = FALSE)
  write.table(data.frame(gene_id = ids, module = truth), sub("\\.tsv$", "-truth.tsv", args[2]), sep = "\t", quote = FALSE, row.names = FALSE)
  quit(save = "no")
}
suppressMessages(library(WGCNA))
threads <- if (length(args) >= 4) as.integer(args[4]) else 2
allowWGCNAThreads(threads)
X <- as.matrix(read.delim(args[2], row.names = 1, check.names = FALSE))
datExpr <- t(X)
powers <- c(1:10, seq(12, 20, 2))
t <- c(); t0 <- proc.time()[["elapsed"]]; mark <- function(step) { now <- proc.time()[["elapsed"]]; t[[step]] <<- now - t0; t0 <<- now }
sft <- pickSoftThreshold(datExpr, powerVector = powers, networkType = "unsigned", verbose = 0); mark("pickSoftThreshold")
adj <- adjacency(datExpr, power = 6, type = "unsigned"); mark("adjacency")
TOM <- TOMsimilarity(adj, TOMType = "unsigned", verbose = 0); mark("TOMsimilarity")
diss <- 1 - TOM; rm(TOM)
tree <- hclust(as.dist(diss), method = "average"); mark("hclust")
labels <- cutreeDynamic(tree, distM = diss, deepSplit = 2, minClusterSize = 20, pamStage = FALSE, verbose = 0); mark("cutreeDynamic")
me <- moduleEigengenes(datExpr, colors = labels); mark("moduleEigengenes")
merged <- mergeCloseModules(datExpr, labels, cutHeight = 0.15, verbose = 0); mark("mergeCloseModules")
kme <- cor(datExpr, merged$newMEs); mark("kME")
for (s in names(t)) cat(sprintf("wgcna step %-18s %8.3f s\n", s, t[[s]]))
cat(sprintf("wgcna pipeline %.3f s (threads %d, %s)\n", sum(unlist(t)), threads, paste("WGCNA", packageVersion("WGCNA"))))
write.table(data.frame(gene_id = colnames(datExpr), module = merged$colors, unmerged = labels), args[3], sep = "\t", quote = FALSE, row.names = FALSE)
