/**
 * Internals shared by the contract and its implementations: JSON trees, canonical JSON, argument checks.
 * Not API: anything here may change in any release.
 */
package dev.verist.storage.internal;
