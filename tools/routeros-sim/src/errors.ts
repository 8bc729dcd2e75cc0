export const SIM_ERRORS = {
  ISP_ERR_SIM_UNKNOWN_MENU: 'the simulator has no such menu',
  ISP_ERR_SIM_NO_ROUTER: 'no simulated router at that address',
  ISP_ERR_SIM_STATE_FILE: 'state file cannot be read',
  ISP_ERR_SIM_SCRIPT: 'script uses a construct the simulator does not run',
  ISP_ERR_SIM_FETCH_TARGET: 'fetch only reaches loopback addresses',
} as const;

export type SimErrorCode = keyof typeof SIM_ERRORS;

export class SimError extends Error {
  readonly code: SimErrorCode;

  constructor(code: SimErrorCode, message?: string) {
    super(message ?? SIM_ERRORS[code]);
    this.name = 'SimError';
    this.code = code;
  }
}
