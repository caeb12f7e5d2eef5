// The tests install Koa 2 under an alias beside Koa 3; its public shape is close enough to type it
// as the current major.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
