"""A local stand-in for AWS: Elastic Beanstalk + S3 over real HTTP, app servers, a CNAME router."""
