// The official Zoho CRM Node.js SDK (@zohocrm/nodejs-sdk-8.0) through a whole flow against a live
// emulator: sign in with a grant code, again from the refresh token it gave, read the current user
// and org, let the SDK fetch the fields of every module (autoRefreshFields), then create, read,
// update, search, page through, count and delete Leads and read the deleted ones.
//
// Input (environment): ZCRM_URL (the emulator's base URL), ZCRM_CLIENT_ID, ZCRM_CLIENT_SECRET,
// ZCRM_GRANT_CODE (a Self Client grant code), ZCRM_WORKDIR (token store, field cache, SDK log).
// Output: one JSON object on stdout, what the SDK parsed at each step; the exit status is 0 once
// the flow ran to its end, whatever it found (the caller asserts), 1 if a step threw.

import * as fs from "node:fs";
import * as path from "node:path";
import * as ZOHOCRMSDK from "@zohocrm/nodejs-sdk-8.0";

const URL = required("ZCRM_URL");
const WORKDIR = required("ZCRM_WORKDIR");
const TAG = `node-sdk-${process.pid}`;

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

// --- plain values out of the SDK's objects ---------------------------------------------------------

function plain(value) {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === "bigint") {
    return value.toString();
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (value instanceof ZOHOCRMSDK.Choice) {
    return plain(value.getValue());
  }
  if (value instanceof Map) {
    return Object.fromEntries(Array.from(value.entries(), ([key, item]) => [key, plain(item)]));
  }
  if (Array.isArray(value)) {
    return value.map(plain);
  }
  if (typeof value === "object") {
    if (typeof value.getKeyValues === "function") {
      return plain(value.getKeyValues());
    }
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== "keyModified")
        .map(([key, item]) => [key, plain(item)]),
    );
  }
  return value;
}

function className(object) {
  return object === null || object === undefined ? null : object.constructor.name;
}

/** What an APIException, or an action result that is one, says. */
function apiError(object) {
  return {
    class: className(object),
    code: plain(object.getCode()),
    status: plain(object.getStatus()),
    message: plain(object.getMessage()),
    details: plain(object.getDetails()),
  };
}

function params(...pairs) {
  const map = new ZOHOCRMSDK.ParameterMap();
  return Promise.all(pairs.map(([param, value]) => map.add(param, value))).then(() => map);
}

// --- sign in ---------------------------------------------------------------------------------------------

function environment() {
  // A custom environment, as for any data center the SDK does not list: the API URL, the accounts
  // server's token URL, the file-upload URL.
  return new ZOHOCRMSDK.Environment(URL, `${URL}/oauth/v2/token`, URL);
}

async function initialize(token, name) {
  const folder = path.join(WORKDIR, name);
  fs.mkdirSync(folder, { recursive: true });
  // The builder's constructor is asynchronous (it returns a promise of the builder).
  await (await new ZOHOCRMSDK.InitializeBuilder())
    .environment(environment())
    .token(token)
    .store(new ZOHOCRMSDK.FileStore(path.join(folder, "tokens.txt")))
    .SDKConfig(new ZOHOCRMSDK.SDKConfigBuilder().autoRefreshFields(true).pickListValidation(false).build())
    .resourcePath(folder)
    .logger(new ZOHOCRMSDK.LogBuilder().level(ZOHOCRMSDK.Levels.INFO).filePath(path.join(WORKDIR, "sdk.log")).build())
    .initialize();
}

function tokenSummary(token) {
  return {
    access_token: token.getAccessToken(),
    refresh_token: token.getRefreshToken(),
    api_domain: token.getAPIDomain(),
    user_signature: token.getUserSignature() ? token.getUserSignature().getName() : null,
    expires_in_ms: token.getExpiresIn() === null ? null : Number(token.getExpiresIn()) - Date.now(),
  };
}

async function signIn() {
  const byGrant = new ZOHOCRMSDK.OAuthBuilder()
    .clientId(required("ZCRM_CLIENT_ID"))
    .clientSecret(required("ZCRM_CLIENT_SECRET"))
    .grantToken(required("ZCRM_GRANT_CODE"))
    .build();
  await initialize(byGrant, "grant");
  const grant = tokenSummary(byGrant);
  // A second start-up as an application that kept only the refresh token: a new store, so the SDK
  // must get its access token from the refresh token.
  const byRefresh = new ZOHOCRMSDK.OAuthBuilder()
    .clientId(required("ZCRM_CLIENT_ID"))
    .clientSecret(required("ZCRM_CLIENT_SECRET"))
    .refreshToken(grant.refresh_token)
    .build();
  await initialize(byRefresh, "refresh");
  return { grant, refresh: tokenSummary(byRefresh) };
}

// --- user, org, modules, fields ------------------------------------------------------------------

async function currentUserAndOrg() {
  const users = await new ZOHOCRMSDK.Users.UsersOperations().getUsers(
    await params([ZOHOCRMSDK.Users.GetUsersParam.TYPE, "CurrentUser"]),
  );
  const usersObject = users.getObject();
  const user =
    usersObject instanceof ZOHOCRMSDK.Users.ResponseWrapper
      ? usersObject.getUsers().map((one) => ({ id: plain(one.getId()), email: one.getEmail(), full_name: one.getFullName() }))
      : null;
  const org = await new ZOHOCRMSDK.Org.OrgOperations().getOrganization();
  const orgObject = org.getObject();
  const orgs =
    orgObject instanceof ZOHOCRMSDK.Org.ResponseWrapper
      ? orgObject.getOrg().map((one) => ({
          id: plain(one.getId()),
          zgid: plain(one.getZgid()),
          company_name: one.getCompanyName(),
          primary_email: one.getPrimaryEmail(),
        }))
      : null;
  return {
    users: { status: users.getStatusCode(), class: className(usersObject), users: user },
    org: { status: org.getStatusCode(), class: className(orgObject), org: orgs },
  };
}

async function modulesAndFields() {
  const response = await new ZOHOCRMSDK.Modules.ModulesOperations().getModules();
  const object = response.getObject();
  if (!(object instanceof ZOHOCRMSDK.Modules.ResponseWrapper)) {
    return { status: response.getStatusCode(), class: className(object), modules: null, fields: {} };
  }
  const supported = object
    .getModules()
    .filter((module) => module.getAPISupported() === true)
    .map((module) => module.getAPIName());
  const fields = {};
  for (const module of supported) {
    const answer = await new ZOHOCRMSDK.Fields.FieldsOperations().getFields(
      await params([ZOHOCRMSDK.Fields.GetFieldsParam.MODULE, module]),
    );
    const parsed = answer.getObject();
    fields[module] = {
      status: answer.getStatusCode(),
      class: className(parsed),
      count: parsed instanceof ZOHOCRMSDK.Fields.ResponseWrapper ? parsed.getFields().length : null,
      error: parsed instanceof ZOHOCRMSDK.Fields.APIException ? apiError(parsed) : null,
    };
  }
  return { status: response.getStatusCode(), class: className(object), modules: supported, fields };
}

/** What the SDK's own field cache (autoRefreshFields) holds after the first record call. */
function fieldCache() {
  const folder = path.join(WORKDIR, "refresh", "resources");
  if (!fs.existsSync(folder)) {
    return null;
  }
  const files = fs.readdirSync(folder).filter((name) => name.endsWith(".json"));
  const cache = {};
  for (const file of files) {
    for (const [key, value] of Object.entries(JSON.parse(fs.readFileSync(path.join(folder, file), "utf8")))) {
      if (value !== null && typeof value === "object" && key !== "SDK-MODULE-METADATA") {
        cache[key] = Object.keys(value).length;
      }
    }
  }
  return { files: files.length, modules: cache };
}

// --- records -----------------------------------------------------------------------------------------

function lead(lastName, company, email) {
  const record = new ZOHOCRMSDK.Record.Record();
  record.addFieldValue(ZOHOCRMSDK.Record.Field.Leads.LAST_NAME, lastName);
  record.addFieldValue(ZOHOCRMSDK.Record.Field.Leads.COMPANY, company);
  record.addFieldValue(ZOHOCRMSDK.Record.Field.Leads.EMAIL, email);
  record.addKeyValue("Description", TAG);
  return record;
}

function body(...records) {
  const wrapper = new ZOHOCRMSDK.Record.BodyWrapper();
  wrapper.setData(records);
  return wrapper;
}

function actionResults(response) {
  const object = response.getObject();
  if (object instanceof ZOHOCRMSDK.Record.ActionWrapper) {
    return {
      status: response.getStatusCode(),
      class: className(object),
      items: object.getData().map((item) =>
        item instanceof ZOHOCRMSDK.Record.SuccessResponse
          ? { class: className(item), code: plain(item.getCode()), message: plain(item.getMessage()), details: plain(item.getDetails()) }
          : apiError(item),
      ),
    };
  }
  return { status: response.getStatusCode(), class: className(object), error: object ? apiError(object) : null };
}

function recordsRead(response) {
  const object = response.getObject();
  if (object instanceof ZOHOCRMSDK.Record.ResponseWrapper) {
    const info = object.getInfo();
    return {
      status: response.getStatusCode(),
      class: className(object),
      records: object.getData().map((record) => ({
        id: plain(record.getId()),
        Last_Name: record.getKeyValue("Last_Name"),
        Company: record.getKeyValue("Company"),
        Email: record.getKeyValue("Email"),
        Owner: plain(record.getKeyValue("Owner")),
        Created_Time: plain(record.getCreatedTime()),
        Modified_Time: plain(record.getModifiedTime()),
        Created_By: record.getCreatedBy() ? plain(record.getCreatedBy().getId()) : null,
      })),
      info: info
        ? {
            page: info.getPage(),
            per_page: info.getPerPage(),
            count: info.getCount(),
            more_records: info.getMoreRecords(),
            next_page_token: info.getNextPageToken(),
          }
        : null,
    };
  }
  return { status: response.getStatusCode(), class: className(object), error: object ? apiError(object) : null };
}

async function records() {
  const leads = new ZOHOCRMSDK.Record.RecordOperations("Leads");
  const P = ZOHOCRMSDK.Record;
  const out = {};
  out.create = actionResults(
    await leads.createRecords(
      body(
        lead("Lovelace", "Analytical Engines", "ada@node.example"),
        lead("Babbage", "Difference Engines", "charles@node.example"),
        lead("Somerville", "Mechanism of the Heavens", "mary@node.example"),
      ),
    ),
  );
  out.field_cache = fieldCache();
  const ids = (out.create.items || []).map((item) => (item.details ? item.details.id : null));
  out.created_ids = ids;
  const [ada, charles, mary] = ids;

  out.refused = actionResults(await leads.createRecords(body(new ZOHOCRMSDK.Record.Record())));
  out.get_one = recordsRead(await leads.getRecord(BigInt(ada)));

  const change = new ZOHOCRMSDK.Record.Record();
  change.addFieldValue(ZOHOCRMSDK.Record.Field.Leads.COMPANY, "Analytical Engines Ltd");
  out.update = actionResults(await leads.updateRecord(BigInt(ada), body(change)));
  out.after_update = recordsRead(await leads.getRecord(BigInt(ada)));

  out.search_criteria = recordsRead(
    await leads.searchRecords(await params([P.SearchRecordsParam.CRITERIA, "(Email:equals:ada@node.example)"])),
  );
  out.search_email = recordsRead(
    await leads.searchRecords(await params([P.SearchRecordsParam.EMAIL, "charles@node.example"])),
  );
  out.search_word = recordsRead(await leads.searchRecords(await params([P.SearchRecordsParam.WORD, "Somerville"])));
  out.search_none = recordsRead(
    await leads.searchRecords(await params([P.SearchRecordsParam.EMAIL, "nobody@node.example"])),
  );

  out.pages = [];
  for (let page = 1; page <= 20; page += 1) {
    const read = recordsRead(
      await leads.getRecords(
        await params(
          [P.GetRecordsParam.FIELDS, "Last_Name,Company,Email"],
          [P.GetRecordsParam.PER_PAGE, 2],
          [P.GetRecordsParam.PAGE, page],
          [P.GetRecordsParam.SORT_BY, "id"],
          [P.GetRecordsParam.SORT_ORDER, "asc"],
        ),
      ),
    );
    out.pages.push(read);
    if (!read.info || read.info.more_records !== true) {
      break;
    }
  }

  const count = await leads.recordCount();
  const countObject = count.getObject();
  out.count = {
    status: count.getStatusCode(),
    class: className(countObject),
    count: countObject instanceof P.CountWrapper ? plain(countObject.getCount()) : null,
    error: countObject instanceof P.APIException ? apiError(countObject) : null,
  };

  out.delete = actionResults(await leads.deleteRecord(BigInt(charles)));
  out.get_deleted_one = { status: (await leads.getRecord(BigInt(charles))).getStatusCode() };
  out.count_after_delete = plain((await leads.recordCount()).getObject().getCount());

  const deleted = await leads.getDeletedRecords(await params([P.GetDeletedRecordsParam.TYPE, "recycle"]));
  const deletedObject = deleted.getObject();
  out.deleted = {
    status: deleted.getStatusCode(),
    class: className(deletedObject),
    records:
      deletedObject instanceof P.DeletedRecordsWrapper
        ? deletedObject.getData().map((item) => ({
            id: plain(item.getId()),
            display_name: item.getDisplayName(),
            type: item.getType(),
            deleted_time: plain(item.getDeletedTime()),
            deleted_by: item.getDeletedBy() ? plain(item.getDeletedBy().getId()) : null,
          }))
        : null,
    info: deletedObject instanceof P.DeletedRecordsWrapper && deletedObject.getInfo() ? plain(deletedObject.getInfo()) : null,
    error: deletedObject instanceof P.APIException ? apiError(deletedObject) : null,
  };
  out.kept = [ada, mary];
  return out;
}

// --- the flow -----------------------------------------------------------------------------------------

async function main() {
  const result = { tag: TAG };
  let step = "sign in";
  try {
    result.tokens = await signIn();
    step = "current user and org";
    Object.assign(result, await currentUserAndOrg());
    step = "records";
    result.records = await records();
    step = "modules and fields";
    result.modules = await modulesAndFields();
    step = "done";
  } catch (error) {
    result.failed = { step, error: String(error && error.message ? error.message : error), detail: plain(error) };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = result.failed ? 1 : 0;
}

await main();
