/** An error with an HTTP status, answered as `{statusCode, error, message}` by Fastify. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const unauthorized = (message = 'log in first (POST /api/auth/login) or send an API token') => new HttpError(401, message);
export const forbidden = (message: string) => new HttpError(403, message);
export const notFound = (message: string) => new HttpError(404, message);
