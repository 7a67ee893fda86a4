// The schema: the builder plus every module. This file only imports (STYLE.md §1).
import { builder } from "./builder.ts";
import "./modules/enums.ts";
import "./modules/trust.ts";
import "./modules/local-authority.ts";
import "./modules/academy.ts";
import "./modules/form.ts";
import "./modules/pupil.ts";
import "./modules/api-client.ts";
import "./modules/register.ts";
import "./modules/attendance.ts";
import "./modules/calendar.ts";
import "./modules/policy.ts";
import "./modules/leave.ts";
import "./modules/cases.ts";
import "./modules/letters.ts";
import "./modules/penalty-notices.ts";
import "./modules/roll.ts";
import "./modules/webhooks.ts";
import "./modules/privacy.ts";

export const schema = builder.toSchema();
export type { GraphQLContext } from "./context.ts";
export { createLoaders } from "./loaders.ts";
export { readableScope } from "./visibility.ts";
export { badInput, conflict, forbidden, notFound, unauthenticated, rateLimited } from "./errors.ts";
export { subjectAccessDocument, type SubjectAccessDocument } from "./privacy-export.ts";
export { apiKeyMatches, apiKeyPrefix, hashApiKey, newApiKey } from "./api-keys.ts";
export { statisticsSql, usesRollup, type StatisticsQuery } from "./statistics/sql.ts";
