/**
 * The admin API: IAM users, groups, roles, managed policies and instance profiles of an account,
 * each a resource with an ETag, validated with IAM's rules before the store sees it; and the
 * account-wide import of get-account-authorization-details.
 */
package dev.rolegate.api.admin;
