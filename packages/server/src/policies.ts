// Every policy plugin the server knows, by name. Adding an academy's policy
// is adding its plugin package here (and its name on the academy's row).
import { policyRegistry } from "@attendance/core";
import national from "@attendance/plugin-national";
import greenwich from "@attendance/plugin-la-greenwich";
import oxfordshire from "@attendance/plugin-la-oxfordshire";
import hertfordshire from "@attendance/plugin-la-hertfordshire";
import thurrock from "@attendance/plugin-la-thurrock";
import vale from "@attendance/plugin-trust-vale-academy-trust";
import att from "@attendance/plugin-trust-academies-transformation-trust";
import pdet from "@attendance/plugin-trust-peterborough-diocese";
import woolwich from "@attendance/plugin-academy-woolwich-polytechnic";
import stJames from "@attendance/plugin-academy-st-james";
import stanborough from "@attendance/plugin-academy-stanborough";
import attTemplate from "@attendance/plugin-academy-att-template";
import staverton from "@attendance/plugin-academy-staverton";
// The demo's invented sibling academies (packages/db/src/demo/trusts.ts).
import demoWyvernBrook from "@attendance/plugin-academy-demo-wyvern-brook";
import demoYarrowdale from "@attendance/plugin-academy-demo-yarrowdale";
import demoThornwick from "@attendance/plugin-academy-demo-thornwick";
import demoUpperhollow from "@attendance/plugin-academy-demo-upperhollow";
import demoWychbourne from "@attendance/plugin-academy-demo-wychbourne";
import demoTarnfield from "@attendance/plugin-academy-demo-tarnfield";
import demoWealdmoor from "@attendance/plugin-academy-demo-wealdmoor";
import demoGreyhollow from "@attendance/plugin-academy-demo-greyhollow";
import demoTidewell from "@attendance/plugin-academy-demo-tidewell";
import demoThistlecombe from "@attendance/plugin-academy-demo-thistlecombe";
import demoWrenbrook from "@attendance/plugin-academy-demo-wrenbrook";

export const policies = policyRegistry([
  national,
  greenwich,
  oxfordshire,
  hertfordshire,
  thurrock,
  vale,
  att,
  pdet,
  woolwich,
  stJames,
  stanborough,
  attTemplate,
  staverton,
  demoWyvernBrook,
  demoYarrowdale,
  demoThornwick,
  demoUpperhollow,
  demoWychbourne,
  demoTarnfield,
  demoWealdmoor,
  demoGreyhollow,
  demoTidewell,
  demoThistlecombe,
  demoWrenbrook,
]);
