/**
 * The shapes shared by the API Gateway v2 (HTTP APIs) files. No behaviour here, so every file can
 * import it.
 *
 *   store.ts          APIs by id (ids are global: the front door finds an API by its host name),
 *                     ids, ARNs, the wire timestamp, deployments' snapshots and auto-deploy
 *   errors.ts         AWS's errors (NotFoundException, BadRequestException, ConflictException) and
 *                     their wire form (`{"message"}`, NotFound's `resourceType`)
 *   validate.ts       member checks (lengths, enums, ranges), route keys, integration URIs
 *   apis.ts           CreateApi (and quick create), GetApi(s), UpdateApi, DeleteApi, DeleteCorsConfiguration
 *   openapi.ts        ImportApi / ReimportApi (OpenAPI 3 with the x-amazon-apigateway-* extensions)
 *   routes.ts         routes;  integrations.ts  integrations;  authorizers.ts  authorizers
 *   stages.ts         stages, stage variables, ResetAuthorizersCache;  deployments.ts  deployments
 *   tags.ts           GetTags / TagResource / UntagResource
 *   index.ts          the REST-JSON route table (paths and statuses from the botocore model)
 *
 * Records keep the wire's member names (camelCase, the model's locationName), so an output is the
 * record with its internal fields left out.
 */

export type ProtocolType = 'HTTP' | 'WEBSOCKET';

export interface CorsConfiguration {
  allowCredentials?: boolean;
  allowHeaders?: string[];
  allowMethods?: string[];
  allowOrigins?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
}

export interface RouteRecord {
  routeId: string;
  routeKey: string;
  apiGatewayManaged?: boolean;
  apiKeyRequired: boolean;
  authorizationScopes?: string[];
  authorizationType: 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'JWT';
  authorizerId?: string;
  modelSelectionExpression?: string;
  operationName?: string;
  requestModels?: Record<string, string>;
  requestParameters?: Record<string, { required?: boolean }>;
  routeResponseSelectionExpression?: string;
  /** "integrations/<id>". */
  target?: string;
}

export interface IntegrationRecord {
  integrationId: string;
  integrationType: 'AWS' | 'HTTP' | 'MOCK' | 'HTTP_PROXY' | 'AWS_PROXY';
  apiGatewayManaged?: boolean;
  connectionId?: string;
  connectionType: 'INTERNET' | 'VPC_LINK';
  contentHandlingStrategy?: string;
  credentialsArn?: string;
  description?: string;
  integrationMethod?: string;
  integrationResponseSelectionExpression?: string;
  integrationSubtype?: string;
  integrationUri?: string;
  passthroughBehavior?: string;
  payloadFormatVersion?: string;
  requestParameters?: Record<string, string>;
  requestTemplates?: Record<string, string>;
  responseParameters?: Record<string, Record<string, string>>;
  templateSelectionExpression?: string;
  timeoutInMillis?: number;
  tlsConfig?: { serverNameToVerify?: string };
}

export interface AuthorizerRecord {
  authorizerId: string;
  name: string;
  authorizerType: 'REQUEST' | 'JWT';
  authorizerCredentialsArn?: string;
  authorizerPayloadFormatVersion?: string;
  authorizerResultTtlInSeconds?: number;
  authorizerUri?: string;
  enableSimpleResponses?: boolean;
  identitySource?: string[];
  identityValidationExpression?: string;
  jwtConfiguration?: { audience?: string[]; issuer?: string };
}

/** What a deployment serves: the API's configuration when it was made. */
export interface ApiSnapshot {
  routes: RouteRecord[];
  integrations: Record<string, IntegrationRecord>;
  authorizers: Record<string, AuthorizerRecord>;
  corsConfiguration?: CorsConfiguration;
}

export interface DeploymentRecord {
  deploymentId: string;
  autoDeployed: boolean;
  /** Virtual epoch ms. */
  createdDate: number;
  deploymentStatus: 'PENDING' | 'FAILED' | 'DEPLOYED';
  deploymentStatusMessage?: string;
  description?: string;
  snapshot: ApiSnapshot;
}

export interface RouteSettings {
  dataTraceEnabled?: boolean;
  detailedMetricsEnabled?: boolean;
  loggingLevel?: string;
  throttlingBurstLimit?: number;
  throttlingRateLimit?: number;
}

export interface StageRecord {
  stageName: string;
  accessLogSettings?: { destinationArn?: string; format?: string };
  apiGatewayManaged?: boolean;
  autoDeploy: boolean;
  clientCertificateId?: string;
  /** Virtual epoch ms. */
  createdDate: number;
  defaultRouteSettings: RouteSettings;
  deploymentId?: string;
  description?: string;
  lastDeploymentStatusMessage?: string;
  lastUpdatedDate: number;
  routeSettings: Record<string, RouteSettings>;
  stageVariables: Record<string, string>;
  tags: Record<string, string>;
}

export interface ApiRecord {
  apiId: string;
  /** Where the API lives (GetApis lists an account's APIs of one region). */
  accountId: string;
  region: string;
  name: string;
  protocolType: ProtocolType;
  apiKeySelectionExpression: string;
  routeSelectionExpression: string;
  corsConfiguration?: CorsConfiguration;
  createdDate: number;
  description?: string;
  disableSchemaValidation?: boolean;
  disableExecuteApiEndpoint: boolean;
  importInfo?: string[];
  ipAddressType: 'ipv4' | 'dualstack';
  tags: Record<string, string>;
  version?: string;
  warnings?: string[];
  routes: Map<string, RouteRecord>;
  integrations: Map<string, IntegrationRecord>;
  authorizers: Map<string, AuthorizerRecord>;
  stages: Map<string, StageRecord>;
  deployments: Map<string, DeploymentRecord>;
}

/** A Lambda authorizer's cached answer (front door), by API, stage, authorizer and identity. */
export interface CachedAuthorization {
  /** Virtual epoch ms after which the entry is stale. */
  expires: number;
  value: unknown;
}
