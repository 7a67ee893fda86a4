// Every policy plugin the server knows, by name. Adding an academy's policy
// is adding its plugin package here (and its name on the academy's row).
import { policyRegistry } from "@attendance/core";
import national from "@attendance/plugin-national";
import greenwich from "@attendance/plugin-la-greenwich";
import oxfordshire from "@attendance/plugin-la-oxfordshire";
import vale from "@attendance/plugin-trust-vale-academy-trust";
import woolwich from "@attendance/plugin-academy-woolwich-polytechnic";
import stJames from "@attendance/plugin-academy-st-james";
import stanborough from "@attendance/plugin-academy-stanborough";
import attTemplate from "@attendance/plugin-academy-att-template";
import staverton from "@attendance/plugin-academy-staverton";

export const policies = policyRegistry([national, greenwich, oxfordshire, vale, woolwich, stJames, stanborough, attTemplate, staverton]);
