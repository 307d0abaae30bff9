"""`bluegreen ci-step`: one release step for CI pipelines (GitHub Actions, GitLab CI,
Bitbucket Pipelines): inputs in, the release run, outputs, a Markdown summary and the report out."""
