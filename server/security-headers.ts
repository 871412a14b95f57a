/**
 * Security headers on every answer, with helmet (the express project's own recommendation, kept
 * up with the browsers' header changes). The Content Security Policy allows only this site, plus
 * the one thing the workspace needs beyond it: data: images (the favicon, and the breadcrumb
 * arrow in bpmn-js's stylesheet). bpmn-js 18 as bundled here sets its styles through the CSSOM
 * (element.style), which CSP does not govern, so no inline style attribute or element is allowed:
 * test/e2e fails on any CSP violation Chromium reports. HSTS is sent only on requests that came
 * over TLS (req.secure honours JUECE_TRUST_PROXY), so a plain-http intranet install is never
 * locked out.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders(): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: false,
    }),
    (req, res, next) => {
      if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
      next();
    },
  ];
}
