import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProjectResolver, type ResolvableFunction, type ResolvableModule } from './project-resolver';

interface Fn extends ResolvableFunction {
  id: string;
}

function project(modules: Record<string, Partial<Omit<ResolvableModule<Fn>, 'functions'>> & { functions?: Record<string, Omit<Fn, 'id'>> }>): ProjectResolver<Fn> {
  const built = new Map<string, ResolvableModule<Fn>>();
  for (const [moduleName, module] of Object.entries(modules)) {
    const functions = new Map(Object.entries(module.functions ?? {}).map(([name, fn]) => [name, { id: `${moduleName}:${name}`, ...fn }]));
    built.set(moduleName, { moduleName, imports: {}, instances: {}, classes: {}, ...module, functions });
  }
  return new ProjectResolver((moduleName) => built.get(moduleName));
}

const id = (resolver: ProjectResolver<Fn>, callee: string) => resolver.resolve(callee)?.fn.id;

describe('ProjectResolver', () => {
  const resolver = project({
    'app.models': { classes: { User: { bases: [] } }, functions: { 'User.check_password': {} } },
    'app.repos': {
      imports: { User: 'app.models.User' },
      classes: { BaseRepo: { bases: [] }, UserRepo: { bases: ['app.repos.BaseRepo'] } },
      functions: { 'UserRepo.get': { returns: 'app.models.User' }, 'BaseRepo.count': {} },
    },
    'app.services': {
      imports: { UserRepo: 'app.repos.UserRepo' },
      classes: { Accounts: { bases: [], attributes: { repo: 'app.repos.UserRepo()' } } },
      functions: { 'Accounts.repos': { returns: 'app.repos.UserRepo', property: true }, make_accounts: { returns: 'app.services.Accounts' } },
    },
    'app.reexport': { starImports: ['app.services'] },
    'app.clients': { instances: { http: 'requests.Session()', accounts: 'app.services.Accounts()' } },
    'app.db': { functions: { new_session: { returns: 'sqlalchemy.orm.Session' } } },
  });

  it('follows attribute types, return annotations and properties to the method called', () => {
    assert.equal(id(resolver, 'app.services.Accounts().repo.get'), 'app.repos:UserRepo.get');
    assert.equal(id(resolver, 'app.services.Accounts().repo.get().check_password'), 'app.models:User.check_password');
    assert.equal(id(resolver, 'app.services.Accounts().repos.get'), 'app.repos:UserRepo.get');
    assert.equal(id(resolver, 'app.services.make_accounts().repo.count'), 'app.repos:BaseRepo.count');
  });

  it('follows imports, star imports and module-level instances', () => {
    assert.equal(id(resolver, 'app.services.UserRepo().get'), 'app.repos:UserRepo.get');
    assert.equal(id(resolver, 'app.reexport.make_accounts'), 'app.services:make_accounts');
    assert.equal(id(resolver, 'app.clients.accounts.repo.get'), 'app.repos:UserRepo.get');
  });

  it('names the library call made through a module-level instance of a library type', () => {
    assert.deepEqual(resolver.libraryCallee('app.clients.http.get'), { callee: 'requests.Session().get', instance: { moduleName: 'app.clients', name: 'http' } });
    assert.equal(resolver.resolve('app.clients.http.get'), undefined);
  });

  it('names the library call made on what a project function returns, by its return annotation', () => {
    assert.deepEqual(resolver.libraryCallee('app.db.new_session().query().all'), { callee: 'sqlalchemy.orm.Session().query().all' });
    assert.equal(resolver.libraryCallee('app.db.new_session'), undefined);
    assert.equal(resolver.libraryCallee('app.services.make_accounts().repo.get'), undefined);
  });

  it('leaves unknown attributes, library types and cycles unresolved, and ends', () => {
    const cyclic = project({
      'a': { imports: { x: 'b.x' }, classes: { Loop: { bases: ['a.Loop'], attributes: { self: 'a.Loop()' } } } },
      'b': { imports: { x: 'a.x' } },
    });
    assert.equal(id(cyclic, 'a.x'), undefined);
    assert.equal(id(cyclic, 'a.Loop().self.self.self.missing'), undefined);
    assert.equal(id(resolver, 'app.services.Accounts().unknown.get'), undefined);
    assert.equal(id(resolver, 'requests.get'), undefined);
  });
});
