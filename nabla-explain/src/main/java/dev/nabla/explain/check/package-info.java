/**
 * Checking hand-worked numbers: {@link dev.nabla.explain.check.ClaimsFile} reads claims,
 * {@link dev.nabla.explain.check.ClaimChecker} gives each a {@link dev.nabla.explain.check.Verdict}
 * (right by the printed-decimals rule, or wrong with a {@link dev.nabla.explain.check.Slip}), and
 * {@link dev.nabla.explain.check.CheckReport} prints the table.
 */
package dev.nabla.explain.check;
