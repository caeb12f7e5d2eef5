// How each demo service is validated: what it declares (its definition and scenario in its
// `validate/` folder), the spans it must emit, and its Prometheus exposition on the port the
// validator gives it. One list for `scripts/validate-metrics.sh` with no arguments and for the
// demo's tests, so the two cannot drift.

/**
 * @typedef {object} DemoValidation
 * @property {string} name the service's folder in apps/
 * @property {boolean} needsNetwork it calls network-api, so one must run beside it
 * @property {string[]} args `datum-telemetry validate` arguments, the service command included
 */

/** @param {string} name @param {string[]} spans @returns {string[]} */
function validateArgs(name, spans) {
  return [
    '--definition',
    `apps/${name}/dist/definition.js`,
    '--scenario',
    `apps/${name}/validate/scenario.json`,
    ...spans.flatMap((span) => ['--expect-span', span]),
    '--prometheus',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the validator substitutes ${PORT}
    'http://127.0.0.1:${PORT}/metrics',
    '--',
    'node',
    `apps/${name}/dist/server.js`,
  ];
}

/** @type {readonly DemoValidation[]} network-api first: compute-api needs one running. */
export const DEMO_VALIDATIONS = [
  {
    name: 'network-api',
    needsNetwork: false,
    args: validateArgs('network-api', ['CreateIPAddress', 'AllocateIPAddress']),
  },
  {
    name: 'compute-api',
    needsNetwork: true,
    args: validateArgs('compute-api', ['CreateVirtualMachine', 'ReconcileVirtualMachine']),
  },
];
