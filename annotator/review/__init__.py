"""Review: where annotators' layers differ (regions) and the reviewer's use cases that
decide them into the gold layer (adjudication)."""
