"""Q&A threads (issue 5): questions as pages; answers, comments, votes and followers."""
