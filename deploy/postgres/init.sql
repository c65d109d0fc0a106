-- One PostgreSQL server, one database per service (codelearn_<service>). The official image runs
-- this once, on an empty data directory. The services also create their database when it is
-- missing and migrate it at start (under an advisory lock), so this only saves that first step.
CREATE DATABASE codelearn_users;
CREATE DATABASE codelearn_groups;
CREATE DATABASE codelearn_posts;
CREATE DATABASE codelearn_contests;
CREATE DATABASE codelearn_problems;
CREATE DATABASE codelearn_rankings;
CREATE DATABASE codelearn_notifications;
CREATE DATABASE codelearn_audit;
