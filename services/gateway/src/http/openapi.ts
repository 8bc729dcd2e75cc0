import type { FastifyInstance, FastifySchema } from 'fastify';

// The OpenAPI keywords a route schema may carry next to what fastify validates with.
declare module 'fastify' {
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: readonly string[];
    security?: readonly Record<string, readonly string[]>[];
  }
}

interface RouteDoc {
  readonly method: string;
  readonly url: string;
  readonly schema: FastifySchema;
}

/** OpenAPI wants `4XX` where fastify's response map says `4xx`. */
function responses(schema: RouteDoc['schema']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const map = (schema.response ?? { 200: {} }) as Record<string, unknown>;
  for (const [status, body] of Object.entries(map)) {
    out[status.toUpperCase()] = {
      description: status,
      content: { 'application/json': { schema: body } },
    };
  }
  return out;
}

/**
 * Records every route as it is registered and builds an OpenAPI 3.1 description from the very JSON
 * schemas fastify validates with, so the description cannot drift from the behaviour.
 */
export function collectOpenApi(
  app: FastifyInstance,
  info: { title: string; version: string },
): () => unknown {
  const routes: RouteDoc[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({ method: method.toLowerCase(), url: route.url, schema: route.schema ?? {} });
    }
  });
  return () => {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of routes) {
      const { body, summary, description, tags, security } = route.schema;
      paths[route.url] = {
        ...paths[route.url],
        [route.method]: {
          summary,
          description,
          tags,
          security,
          ...(body === undefined
            ? {}
            : { requestBody: { required: true, content: { 'application/json': { schema: body } } } }),
          responses: responses(route.schema),
        },
      };
    }
    return {
      openapi: '3.1.0',
      info,
      components: {
        securitySchemes: {
          macToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'ISP_MAC_TOKEN (isp_core.mac_onboarding_token)',
          },
          sidecarToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'ISP_SIDECAR_TOKEN (isp_core.sidecar_token)',
          },
        },
      },
      paths,
    };
  };
}
