// Every policy plugin the server knows, by name. Adding an academy's policy
// is adding its plugin package here (and its name on the academy's row).
import { policyRegistry } from "@attendance/core";
import woolwich from "@attendance/plugin-academy-woolwich-polytechnic";
import stJames from "@attendance/plugin-academy-st-james";
import stanborough from "@attendance/plugin-academy-stanborough";
import attTemplate from "@attendance/plugin-academy-att-template";
import staverton from "@attendance/plugin-academy-staverton";

export const policies = policyRegistry([woolwich, stJames, stanborough, attTemplate, staverton]);
