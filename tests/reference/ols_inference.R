# Reference values for tests/test_ols_inference.cpp, from R's own lm(), summary.lm(),
# confint() and the t and F distributions. Writes the datasets it uses as CSV next to the
# values, so that the test reads exactly the numbers R fitted. Run from the repository root:
#
#   Rscript tests/reference/ols_inference.R tests/data/r-datasets
#
# R (r-base from Debian) is needed only to record; the test reads the files.
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) > 0) args[1] else "tests/data/r-datasets"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
fmt <- function(v) ifelse(is.na(v), "NA", formatC(v, digits = 17, format = "g"))

write_data <- function(name, frame) {
    write.csv(frame, file.path(out, paste0(name, ".csv")), row.names = FALSE)
}

# One case: the response is the first column of `frame`, every other column a term, in order.
# `weights`: precision weights (or NULL); `intercept`: with or without; `level` of confint.
record <- function(con, case, data_name, frame, weights = NULL, intercept = TRUE,
                   level = 0.95) {
    response <- names(frame)[1]
    terms <- paste0("`", names(frame)[-1], "`", collapse = " + ")
    formula <- as.formula(paste0("`", response, "` ~ ", if (intercept) "" else "0 + ", terms))
    fit <- if (is.null(weights)) lm(formula, data = frame) else
        lm(formula, data = frame, weights = weights)
    s <- summary(fit)
    ci <- suppressWarnings(confint(fit, level = level))
    writeLines(paste("case", case, "data", data_name, "intercept", as.integer(intercept),
                     "weights", if (is.null(weights)) "none" else "given", "level", fmt(level)),
               con)
    if (!is.null(weights)) writeLines(paste("w", paste(fmt(weights), collapse = " ")), con)
    co <- s$coefficients
    for (term in names(coef(fit))) {
        if (term %in% rownames(co)) {
            row <- co[term, ]
            writeLines(paste("coef", gsub("`", "", term), fmt(row[1]), fmt(row[2]), fmt(row[3]),
                             fmt(row[4]), fmt(ci[term, 1]), fmt(ci[term, 2])), con)
        } else {
            writeLines(paste("coef", gsub("`", "", term), "NA NA NA NA NA NA"), con)
        }
    }
    f <- if (is.null(s$fstatistic)) c(NA, NA, NA) else s$fstatistic
    fp <- if (is.null(s$fstatistic)) NA else
        pf(f[1], f[2], f[3], lower.tail = FALSE)
    writeLines(paste("sigma", fmt(s$sigma)), con)
    writeLines(paste("df_residual", fit$df.residual), con)
    writeLines(paste("rank", fit$rank), con)
    writeLines(paste("r_squared", fmt(s$r.squared)), con)
    writeLines(paste("adj_r_squared", fmt(s$adj.r.squared)), con)
    writeLines(paste("f_statistic", fmt(f[1]), fmt(f[2]), fmt(f[3]), fmt(fp)), con)
    writeLines("end", con)
}

longley_frame <- longley[, c("Employed", "GNP.deflator", "GNP", "Unemployed", "Armed.Forces",
                             "Population", "Year")]
swiss_frame <- swiss[, c("Fertility", "Agriculture", "Examination", "Education", "Catholic",
                         "Infant.Mortality")]
mtcars_frame <- mtcars[, c("mpg", "cyl", "disp", "hp", "drat", "wt", "qsec", "vs", "am",
                           "gear", "carb")]
write_data("longley", longley_frame)
write_data("swiss", swiss_frame)
write_data("mtcars", mtcars_frame)
# Aliased terms: swiss with a column that is the sum of two others and a copy of a third,
# placed between the originals (R keeps the first of a dependent set in term order).
swiss_aliased <- swiss_frame
swiss_aliased <- cbind(swiss_aliased[, 1:3],
                       Agri.plus.Exam = swiss_frame$Agriculture + swiss_frame$Examination,
                       swiss_aliased[, 4:6],
                       Education.copy = swiss_frame$Education)
write_data("swiss_aliased", swiss_aliased)

con <- file(file.path(out, "ols_inference_reference.txt"), "w")
writeLines(paste("# R", R.version$major, R.version$minor,
                 "lm/summary.lm/confint; see tests/reference/ols_inference.R"), con)
record(con, "longley", "longley", longley_frame)
record(con, "swiss", "swiss", swiss_frame)
record(con, "swiss_level99", "swiss", swiss_frame, level = 0.99)
record(con, "mtcars", "mtcars", mtcars_frame)
record(con, "mtcars_no_intercept", "mtcars", mtcars_frame, intercept = FALSE)
# Precision weights, some of them 0 (those rows drop out of the residual degrees of freedom).
w <- mtcars_frame$carb / 2
w[c(3, 11, 20)] <- 0
record(con, "mtcars_weighted", "mtcars", mtcars_frame, weights = w)
record(con, "swiss_aliased", "swiss_aliased", swiss_aliased)
record(con, "swiss_aliased_no_intercept", "swiss_aliased", swiss_aliased, intercept = FALSE)
close(con)

# The distributions: upper tails of t and F, and t quantiles.
con <- file(file.path(out, "distributions_reference.txt"), "w")
writeLines("# kind df1 df2 x value (pt upper tail, pf upper tail, qt lower quantile)", con)
for (df in c(1, 2, 3, 4.5, 9, 30, 100, 1000, 1e5)) {
    for (t in c(0, 1e-8, 0.1, 0.5, 1, 1.96, 2.5, 4, 10, 40, 1e3, 1e6)) {
        writeLines(paste("pt", fmt(df), 0, fmt(t), fmt(pt(t, df, lower.tail = FALSE))), con)
    }
    for (p in c(0.5000001, 0.6, 0.75, 0.9, 0.95, 0.975, 0.995, 0.9995, 1 - 1e-9)) {
        writeLines(paste("qt", fmt(df), 0, fmt(p), fmt(qt(p, df))), con)
    }
}
for (d1 in c(1, 2, 5, 10, 40)) {
    for (d2 in c(1, 3, 9, 30, 200, 1e4)) {
        for (f in c(0, 1e-6, 0.3, 1, 2.5, 7, 50, 1e4)) {
            writeLines(paste("pf", fmt(d1), fmt(d2), fmt(f),
                             fmt(pf(f, d1, d2, lower.tail = FALSE))), con)
        }
    }
}
close(con)
