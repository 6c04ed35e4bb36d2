// What a connection needs to know: endpoints, timeouts, TLS and credentials. config/ builds it
// from flags, variables and profiles; the client layer only reads it.

export interface TlsConfig {
  certFile: string;
  keyFile: string;
  caFile: string;
  insecureTransport: boolean;
  insecureSkipVerify: boolean;
  /** Server name forced by secure DNS discovery. */
  serverName: string;
}

export interface ClientConfig {
  endpoints: string[];
  dialTimeoutMs: number;
  commandTimeoutMs: number;
  /** Whether --command-timeout was given (flag or env); snapshot save only honours it then. */
  commandTimeoutExplicit: boolean;
  keepaliveTimeMs: number;
  keepaliveTimeoutMs: number;
  tls: TlsConfig;
  /** Set when both a user name and a password are known. */
  auth?: { username: string; password: string };
  debug: boolean;
}
