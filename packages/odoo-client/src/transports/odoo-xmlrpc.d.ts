// Types for the untyped odoo-xmlrpc 1.0.x package, limited to what xmlrpc.transport.ts uses.
declare module 'odoo-xmlrpc' {
  interface OdooXmlRpcConfig {
    url: string;
    port?: number | string;
    db: string;
    username: string;
    password: string;
  }
  type OdooXmlRpcCallback = (error: unknown, value: unknown) => void;
  class OdooXmlRpc {
    constructor(config: OdooXmlRpcConfig);
    /** `common.authenticate`; stores the uid in the instance for later `execute_kw` calls. */
    connect(callback: OdooXmlRpcCallback): void;
    /** `object.execute_kw(db, uid, password, model, method, ...params)`. */
    execute_kw(model: string, method: string, params: unknown[], callback: OdooXmlRpcCallback): void;
  }
  export = OdooXmlRpc;
}
