// The tests install Express 4 under an alias beside Express 5; its public shape is close enough
// to type it as the current major.
declare module 'express4' {
  import express from 'express';
  export default express;
}
