"""The simulated Elastic Beanstalk service: state, operations and their time-driven lifecycle."""
