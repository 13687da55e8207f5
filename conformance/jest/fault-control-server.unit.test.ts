import { LeaseQueue } from './fault-control-server';

describe('LeaseQueue', () => {
  function tracker() {
    const granted: string[] = [];
    return { granted, grant: (name: string) => () => granted.push(name) };
  }

  it('grants shared leases together and an exclusive one only when they are all released', () => {
    const queue = new LeaseQueue();
    const { granted, grant } = tracker();
    const a = queue.request('shared', grant('a'));
    const b = queue.request('shared', grant('b'));
    const x = queue.request('exclusive', grant('x'));
    expect(granted).toEqual(['a', 'b']);
    a();
    expect(granted).toEqual(['a', 'b']);
    b();
    expect(granted).toEqual(['a', 'b', 'x']);
    x();
  });

  it('holds later shared requests behind a waiting exclusive one, in arrival order', () => {
    const queue = new LeaseQueue();
    const { granted, grant } = tracker();
    const a = queue.request('shared', grant('a'));
    const x = queue.request('exclusive', grant('x'));
    const c = queue.request('shared', grant('c'));
    expect(granted).toEqual(['a']);
    a();
    expect(granted).toEqual(['a', 'x']);
    x();
    expect(granted).toEqual(['a', 'x', 'c']);
    c();
  });

  it('forgets a request withdrawn while waiting, and a release counts once', () => {
    const queue = new LeaseQueue();
    const { granted, grant } = tracker();
    const x = queue.request('exclusive', grant('x'));
    const y = queue.request('exclusive', grant('y'));
    const c = queue.request('shared', grant('c'));
    y();
    x();
    x();
    expect(granted).toEqual(['x', 'c']);
    expect(queue.request('shared', grant('d'))).toBeInstanceOf(Function);
    expect(granted).toEqual(['x', 'c', 'd']);
    c();
  });
});
