/**
 * API Gateway REST APIs (v1, model apigateway/2015-07-09): the records the files share. No
 * behaviour here, so every file can import it.
 *
 *   store.ts          APIs, API keys and usage plans per account and region; ids; ARNs; lookups
 *   errors.ts         AWS's error codes and texts ({"message": ...} bodies)
 *   input.ts          request members read as AWS's deserializer reads them (SerializationException), paging
 *   patch.ts          PATCH operations (op/path/value) as AWS validates and applies them
 *   output.ts         the records as the API answers them (empty members left out as AWS does)
 *   rest-apis.ts      Create/Get/GetRestApis/Update/Delete RestApi
 *   resources.ts      Create/Get/GetResources/Update/Delete Resource (path parts, {param}, {proxy+})
 *   methods.ts        Put/Get/Update/Delete Method and MethodResponse
 *   integrations.ts   Put/Get/Update/Delete Integration and IntegrationResponse (URI checks)
 *   deployments.ts    Create/Get/GetDeployments/Update/Delete Deployment (a frozen copy of the API)
 *   stages.ts         Create/Get/GetStages/Update/Delete Stage (variables, method settings),
 *                     FlushStageAuthorizersCache
 *   authorizers.ts    Create/Get/GetAuthorizers/Update/Delete Authorizer (TOKEN, REQUEST)
 *   api-keys.ts       Create/Get/GetApiKeys/Update/Delete ApiKey
 *   usage-plans.ts    usage plans (API stages, throttle, quota) and usage plan keys
 *   openapi.ts        an OpenAPI 3 / Swagger 2 document (JSON or YAML) read into API parts
 *   import.ts         ImportRestApi, PutRestApi (mode merge | overwrite)
 *   tags.ts           TagResource, UntagResource, GetTags
 *   index.ts          the REST-JSON route table (signing name `apigateway`)
 *
 * The front door that serves deployed stages is src/cloud/frontdoors/rest-api/; it reads these
 * records (a stage's deployment) and never changes them, except usage counters.
 */

export type ApiKeySource = 'HEADER' | 'AUTHORIZER';

export interface EndpointConfiguration {
  types: string[];
  ipAddressType?: string;
  vpcEndpointIds?: string[];
}

export interface MethodResponse {
  statusCode: string;
  responseParameters?: Record<string, boolean>;
  responseModels?: Record<string, string>;
}

export interface IntegrationResponse {
  statusCode: string;
  selectionPattern?: string;
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string | null>;
  contentHandling?: string;
}

export interface Integration {
  type: string;
  /** The integration's HTTP method (`integrationHttpMethod` in the request, `httpMethod` on the wire). */
  httpMethod?: string;
  uri?: string;
  connectionType?: string;
  connectionId?: string;
  credentials?: string;
  requestParameters?: Record<string, string>;
  requestTemplates?: Record<string, string | null>;
  passthroughBehavior: string;
  contentHandling?: string;
  timeoutInMillis: number;
  cacheNamespace: string;
  cacheKeyParameters: string[];
  integrationResponses: Record<string, IntegrationResponse>;
  tlsConfig?: { insecureSkipVerification?: boolean };
}

export interface Method {
  httpMethod: string;
  authorizationType: string;
  authorizerId?: string;
  apiKeyRequired: boolean;
  operationName?: string;
  requestParameters?: Record<string, boolean>;
  requestModels?: Record<string, string>;
  requestValidatorId?: string;
  authorizationScopes?: string[];
  methodResponses: Record<string, MethodResponse>;
  methodIntegration?: Integration;
}

export interface Resource {
  id: string;
  /** Undefined for the root resource. */
  parentId?: string;
  pathPart?: string;
  /** By HTTP method (GET, POST, ..., ANY). */
  methods: Record<string, Method>;
}

export interface Authorizer {
  id: string;
  name: string;
  type: string;
  providerARNs?: string[];
  authType?: string;
  authorizerUri?: string;
  authorizerCredentials?: string;
  identitySource?: string;
  identityValidationExpression?: string;
  authorizerResultTtlInSeconds?: number;
}

/** A resource of a deployed API, with its full path. */
export interface DeployedResource {
  id: string;
  path: string;
  pathPart?: string;
  methods: Record<string, Method>;
}

/** What a deployment froze: the API as it was when CreateDeployment ran. */
export interface DeployedApi {
  id: string;
  region: string;
  accountId: string;
  binaryMediaTypes: string[];
  apiKeySource: ApiKeySource;
  resources: DeployedResource[];
  authorizers: Record<string, Authorizer>;
}

export interface Deployment {
  id: string;
  description?: string;
  /** Epoch seconds. */
  createdDate: number;
  api: DeployedApi;
}

export interface MethodSetting {
  metricsEnabled: boolean;
  loggingLevel?: string;
  dataTraceEnabled: boolean;
  throttlingBurstLimit: number;
  throttlingRateLimit: number;
  cachingEnabled: boolean;
  cacheTtlInSeconds: number;
  cacheDataEncrypted: boolean;
  requireAuthorizationForCacheControl: boolean;
  unauthorizedCacheControlHeaderStrategy: string;
}

export interface Stage {
  stageName: string;
  deploymentId: string;
  description?: string;
  clientCertificateId?: string;
  cacheClusterEnabled: boolean;
  cacheClusterSize?: string;
  cacheClusterStatus: string;
  methodSettings: Record<string, MethodSetting>;
  variables?: Record<string, string>;
  documentationVersion?: string;
  accessLogSettings?: { format?: string; destinationArn?: string };
  canarySettings?: Record<string, unknown>;
  tracingEnabled: boolean;
  tags: Record<string, string>;
  createdDate: number;
  lastUpdatedDate: number;
}

export interface RestApi {
  id: string;
  region: string;
  accountId: string;
  name: string;
  description?: string;
  version?: string;
  createdDate: number;
  binaryMediaTypes: string[];
  minimumCompressionSize?: number;
  apiKeySource: ApiKeySource;
  endpointConfiguration: EndpointConfiguration;
  policy?: string;
  tags: Record<string, string>;
  disableExecuteApiEndpoint: boolean;
  rootResourceId: string;
  warnings?: string[];
  resources: Map<string, Resource>;
  authorizers: Map<string, Authorizer>;
  deployments: Map<string, Deployment>;
  stages: Map<string, Stage>;
}

export interface ApiKey {
  id: string;
  value: string;
  name?: string;
  customerId?: string;
  description?: string;
  enabled: boolean;
  createdDate: number;
  lastUpdatedDate: number;
  stageKeys: string[];
  tags: Record<string, string>;
}

export interface ApiStage {
  apiId: string;
  stage: string;
  throttle?: Record<string, { burstLimit?: number; rateLimit?: number }>;
}

export interface QuotaSettings {
  limit: number;
  offset: number;
  period: 'DAY' | 'WEEK' | 'MONTH';
}

export interface UsagePlan {
  id: string;
  name: string;
  description?: string;
  apiStages: ApiStage[];
  throttle?: { burstLimit?: number; rateLimit?: number };
  quota?: QuotaSettings;
  productCode?: string;
  tags: Record<string, string>;
  /** Key ids in the plan (type API_KEY). */
  keys: string[];
  /** Requests counted against the quota, per key, for the period that started at `periodStart` (epoch ms). */
  usage: Map<string, { periodStart: number; used: number }>;
}

/** A PATCH operation as the API takes it. */
export interface PatchOperation {
  op?: string;
  path?: string;
  value?: string;
  from?: string;
}
