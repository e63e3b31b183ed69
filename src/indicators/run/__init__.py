"""The read -> evaluate pipeline every command shares: files in, results and findings out."""
