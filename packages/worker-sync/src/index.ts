// Design: the sync class now ships in @narwhal/core (the default class must come with core,
// as Gunicorn's does). This package stays so that existing installs and `-k @narwhal/worker-sync`
// keep working: it is the same class object, re-exported.

export { SyncWorker, SyncWorker as default } from '@narwhal/core/worker';
