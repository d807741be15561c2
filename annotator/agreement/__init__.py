"""Inter-annotator agreement: measures (kappa, alpha, span F1), their numpy kernels,
the report, its plot, and a project's layers as their input."""
